# Benchmarks are not tests: this only pulls in the `bench` target.
include tests/bench/bench.mk
