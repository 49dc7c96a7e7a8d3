# CLI tests (real binary) of the hardening of area "sweep"; included by tests/CMakeLists.txt.
