# ctest script: install aecore into a fresh prefix, build examples/cpp against it as a
# separate project and run it.
set(prefix "${WORK_DIR}/prefix")
file(REMOVE_RECURSE "${prefix}")

function(step)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "failed (${rc}): ${ARGN}\n${out}\n${err}")
  endif()
  set(step_output "${out}" PARENT_SCOPE)
endfunction()

step("${CMAKE_COMMAND}" --install "${AECORE_BUILD_DIR}" --prefix "${prefix}")
foreach(f include/aecore/agency.hpp include/aecore/version.hpp)
  if(NOT EXISTS "${prefix}/${f}")
    message(FATAL_ERROR "install is missing ${f}")
  endif()
endforeach()
file(GLOB_RECURSE config "${prefix}/*/aecoreConfig.cmake")
file(GLOB_RECURSE config_version "${prefix}/*/aecoreConfigVersion.cmake")
if(NOT config OR NOT config_version)
  message(FATAL_ERROR "install is missing aecoreConfig.cmake / aecoreConfigVersion.cmake")
endif()
step("${CMAKE_COMMAND}" -S "${EXAMPLE_SOURCE_DIR}" -B "${WORK_DIR}/build" -G "${GENERATOR}"
     "-DCMAKE_MAKE_PROGRAM=${MAKE_PROGRAM}" "-DCMAKE_CXX_COMPILER=${CXX_COMPILER}"
     "-DCMAKE_PREFIX_PATH=${prefix}" -DCMAKE_BUILD_TYPE=Release
     -DCMAKE_FIND_PACKAGE_NO_PACKAGE_REGISTRY=ON)
step("${CMAKE_COMMAND}" --build "${WORK_DIR}/build")
step("${WORK_DIR}/build/aecore_example")
message(STATUS "${step_output}")
if(NOT step_output MATCHES "aecore C\\+\\+ consumer OK")
  message(FATAL_ERROR "the consumer did not report success:\n${step_output}")
endif()
