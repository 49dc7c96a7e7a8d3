# Runs beyond one process (issue 14), through the real binary (cluster_cases.sh): partials and
# merge, checkpoints, shards; with MPI built, mpirun with 1 to 3 ranks.
set(letf_cluster_cases partial_merge bad_flags checkpoint_restart shard_assemble)
if(LETF_HAVE_MPI)
  list(APPEND letf_cluster_cases mpi_run mpi_sweep mpi_checkpoint)
else()
  message(STATUS "letfsim: the mpirun tests (cluster.mpi_*) need MPI (LETF_MPI)")
endif()
foreach(case ${letf_cluster_cases})
  add_test(NAME cluster.${case}
           COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/cluster_cases.sh $<TARGET_FILE:letfsim>
                   ${LETF_CLI_SCRATCH} ${PROJECT_SOURCE_DIR} ${case})
  set_tests_properties(cluster.${case} PROPERTIES TIMEOUT 300)
endforeach()
