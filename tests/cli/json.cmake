# CLI tests (real binary) of the hardening of area "json"; included by tests/CMakeLists.txt.
