# CLI tests (real binary) of the hardening of area "engine"; included by tests/CMakeLists.txt.
