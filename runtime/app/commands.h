#pragma once

// Subcommands of the `hoshi` binary. Each takes the arguments after its name
// and returns the process exit code.
namespace hoshi::app {

int runGtp(int argc, char** argv);        // cmd_gtp.cpp
int runInfo(int argc, char** argv);       // cmd_info.cpp
int runBenchmark(int argc, char** argv);  // cmd_benchmark.cpp
int runQuantize(int argc, char** argv);   // cmd_quantize.cpp
int runCompare(int argc, char** argv);    // cmd_compare.cpp
int runAnalysis(int argc, char** argv);   // cmd_analysis.cpp

}  // namespace hoshi::app
