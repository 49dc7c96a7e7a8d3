#pragma once
/// \file study/sweep.hpp
/// The study module in one include: the study file (study_spec.hpp), the summary of a point and
/// its metric columns (summary.hpp), the output files (study_files.hpp), the claim on the output
/// folder (study_lock.hpp) and the run (run_study.hpp).

#include "letf/study/run_study.hpp"
#include "letf/study/study_files.hpp"
#include "letf/study/study_lock.hpp"
#include "letf/study/study_spec.hpp"
#include "letf/study/summary.hpp"
