# CLI tests (real binary) of the hardening of area "io"; included by tests/CMakeLists.txt.
