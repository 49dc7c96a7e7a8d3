# CLI tests (real binary) of the hardening of area "numerics"; included by tests/CMakeLists.txt.
