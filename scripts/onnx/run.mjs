// Runs an ONNX file exported by `hoshi export` in ONNX Runtime (CPU, the npm
// package onnxruntime-node) on Hoshi's encoded inputs and writes the raw
// outputs, or times it.
//
// usage: node scripts/onnx/run.mjs NET.onnx FEATURES.bin OUT_RAW.bin [--batch N] [--threads N]
//        node scripts/onnx/run.mjs NET.onnx FEATURES.bin --bench SECONDS [--batch N] [--threads N]
//        [--optimization disabled|basic|extended|all]: ONNX Runtime's graph
//        optimization level (default all).
//
// File formats: runtime/export/tensor_files.h. Positions are taken in order,
// --batch at a time (default 1); a batch whose boards differ in size is
// padded to the largest: each board sits in the top-left corner and the
// padding is all zero, so the mask channel (0) is 0 there, which is how the
// exported graph tells board from padding.
import fs from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const ort = require('onnxruntime-node');

function fail(msg) {
  process.stderr.write(`onnx run: ${msg}\n`);
  process.exit(1);
}

function parseArgs(argv) {
  const a = { positional: [], batch: 1, threads: 1, bench: 0, optimization: 'all' };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    if (k === '--batch' || k === '--threads' || k === '--bench') {
      const v = Number(argv[++i]);
      if (!Number.isFinite(v) || v <= 0) fail(`${k} needs a positive number`);
      a[k.slice(2)] = v;
    } else if (k === '--optimization') {
      a.optimization = argv[++i];
      if (!['disabled', 'basic', 'extended', 'all'].includes(a.optimization))
        fail('--optimization must be disabled, basic, extended or all');
    } else {
      a.positional.push(k);
    }
  }
  const need = a.bench ? 2 : 3;
  if (a.positional.length !== need) {
    fail('usage: run.mjs NET.onnx FEATURES.bin (OUT_RAW.bin | --bench SECONDS) [--batch N] [--threads N]');
  }
  return a;
}

function readFeatures(path) {
  const buf = fs.readFileSync(path);
  if (buf.length < 20 || buf.toString('latin1', 0, 8) !== 'HSFEAT01') fail(`${path}: not a features file`);
  const count = buf.readUInt32LE(8), c = buf.readUInt32LE(12), g = buf.readUInt32LE(16);
  const positions = [];
  let at = 20;
  for (let i = 0; i < count; i++) {
    if (at + 8 > buf.length) fail(`${path}: truncated`);
    const w = buf.readUInt32LE(at), h = buf.readUInt32LE(at + 4);
    at += 8;
    const n = c * h * w;
    if (at + 4 * (n + g) > buf.length) fail(`${path}: truncated`);
    const floats = new Float32Array(buf.buffer.slice(buf.byteOffset + at, buf.byteOffset + at + 4 * (n + g)));
    positions.push({ w, h, spatial: floats.subarray(0, n), global: floats.subarray(n) });
    at += 4 * (n + g);
  }
  return { c, g, positions };
}

// Inputs of positions[first, first + n), padded to the largest board.
function makeBatch(f, first, n) {
  const group = f.positions.slice(first, first + n);
  const W = Math.max(...group.map((p) => p.w)), H = Math.max(...group.map((p) => p.h));
  const spatial = new Float32Array(group.length * f.c * H * W);
  const global = new Float32Array(group.length * f.g);
  group.forEach((p, b) => {
    for (let ch = 0; ch < f.c; ch++)
      for (let y = 0; y < p.h; y++) {
        const src = p.spatial.subarray((ch * p.h + y) * p.w, (ch * p.h + y + 1) * p.w);
        spatial.set(src, ((b * f.c + ch) * H + y) * W);
      }
    global.set(p.global, b * f.g);
  });
  return {
    group, W, H,
    feeds: {
      input_spatial: new ort.Tensor('float32', spatial, [group.length, f.c, H, W]),
      input_global: new ort.Tensor('float32', global, [group.length, f.g]),
    },
  };
}

// The top-left h x w of plane [b][ch] of a [N][C][H][W] output.
function crop(data, b, ch, C, H, W, h, w) {
  const out = new Float32Array(h * w);
  for (let y = 0; y < h; y++) out.set(data.subarray(((b * C + ch) * H + y) * W, ((b * C + ch) * H + y) * W + w), y * w);
  return out;
}

function u32(v) {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(v);
  return b;
}

function f32(arr) {
  return Buffer.from(arr.buffer, arr.byteOffset, arr.byteLength);
}

async function main() {
  const a = parseArgs(process.argv.slice(2));
  const [netPath, featPath, outPath] = a.positional;
  const f = readFeatures(featPath);
  if (!f.positions.length) fail(`${featPath}: no positions`);
  const session = await ort.InferenceSession.create(netPath, {
    intraOpNumThreads: a.threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: a.optimization,
  });
  if (a.bench) return bench(session, f, a);
  const parts = [];
  let P = 0, S = 0;
  for (let first = 0; first < f.positions.length; first += a.batch) {
    const { group, W, H, feeds } = makeBatch(f, first, a.batch);
    const r = await session.run(feeds);
    P = r.policy.dims[1];
    S = r.misc_value.dims[1];
    group.forEach((p, b) => {
      parts.push(u32(p.w), u32(p.h));
      for (let ch = 0; ch < P; ch++) parts.push(f32(crop(r.policy.data, b, ch, P, H, W, p.h, p.w)));
      parts.push(f32(r.policy_pass.data.slice(b * P, (b + 1) * P)));
      parts.push(f32(r.value.data.slice(b * 3, (b + 1) * 3)));
      parts.push(f32(r.misc_value.data.slice(b * S, (b + 1) * S)));
      parts.push(f32(crop(r.ownership.data, b, 0, 1, H, W, p.h, p.w)));
    });
  }
  const header = Buffer.concat([Buffer.from('HSRAW001', 'latin1'), u32(f.positions.length), u32(P), u32(S)]);
  const tmp = `${outPath}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, Buffer.concat([header, ...parts]));
  fs.renameSync(tmp, outPath);
}

// Evaluations per second over the positions, --batch at a time, for about
// --bench seconds after a warm-up batch.
async function bench(session, f, a) {
  const batches = [];
  for (let first = 0; first + a.batch <= f.positions.length; first += a.batch) batches.push(makeBatch(f, first, a.batch));
  if (!batches.length) fail(`fewer positions than --batch ${a.batch}`);
  await session.run(batches[0].feeds);
  let evals = 0, runs = 0;
  const start = process.hrtime.bigint();
  let seconds = 0;
  while (seconds < a.bench) {
    const b = batches[runs % batches.length];
    await session.run(b.feeds);
    evals += b.group.length;
    runs++;
    seconds = Number(process.hrtime.bigint() - start) / 1e9;
  }
  console.log(JSON.stringify({ batch: a.batch, threads: a.threads, runs, evals, seconds: +seconds.toFixed(3),
    evalsPerSecond: +(evals / seconds).toFixed(1), msPerBatch: +((1000 * seconds) / runs).toFixed(3) }));
}

main().catch((e) => fail(e.message || String(e)));
