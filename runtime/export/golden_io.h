#pragma once

// What scripts/onnx-check asks of hoshi around ONNX Runtime: the golden
// positions encoded with Hoshi's own features (the evaluator's encode), the
// raw outputs of Hoshi's Eigen backend for the same inputs, and raw outputs
// turned into kata-raw-nn answers by Hoshi's post-processing.

#include <memory>
#include <vector>

#include "export/tensor_files.h"
#include "nn/evaluator.h"
#include "quant/golden.h"

namespace hoshi::nn {
struct ModelDesc;
}

namespace hoshi::exporter {

std::vector<nn::EncodedPosition> encodePositions(std::shared_ptr<const nn::ModelDesc> model,
                                                 const quant::GoldenPositions& positions);

// The inputs `hoshi benchmark --nn-only` times (nn/bench_inputs.h): n
// positions of size x size, so ONNX Runtime can be timed on the same ones.
std::vector<nn::EncodedPosition> benchmarkPositions(const nn::ModelDesc& model, int size, int n);

// Hoshi's Eigen backend on the encoded inputs, one position per computation.
std::vector<RawOutputs> eigenOutputs(std::shared_ptr<const nn::ModelDesc> model,
                                     const std::vector<nn::EncodedPosition>& inputs, int threads);

// nn::postprocess of each raw output, exactly as the evaluator (and so
// kata-raw-nn) does it. Throws std::runtime_error when the counts or board
// sizes do not match the inputs.
std::vector<nn::NetOutput> postprocessOutputs(const nn::ModelDesc& model,
                                              const std::vector<nn::EncodedPosition>& inputs,
                                              const std::vector<RawOutputs>& raws);

}  // namespace hoshi::exporter
