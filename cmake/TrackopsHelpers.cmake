# One way to declare each kind of target.
#
#   trackops_module(NAME SOURCES ... DEPS ...)     a library module, src/NAME
#   trackops_test(NAME SOURCES ... DEPS ... LABELS ...)
#   trackops_benchmark(NAME SOURCES ... DEPS ...)

function(trackops_module name)
  cmake_parse_arguments(M "" "" "SOURCES;DEPS" ${ARGN})
  add_library(trackops_${name} STATIC ${M_SOURCES})
  target_include_directories(trackops_${name} PUBLIC
    $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include>
    $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/src>
    $<INSTALL_INTERFACE:include>)
  target_link_libraries(trackops_${name} PUBLIC ${M_DEPS})
  target_compile_options(trackops_${name} PRIVATE ${TRACKOPS_WARNINGS})
  set_target_properties(trackops_${name} PROPERTIES
    EXPORT_NAME ${name} POSITION_INDEPENDENT_CODE ON)
  add_library(trackops::${name} ALIAS trackops_${name})
  install(TARGETS trackops_${name} EXPORT trackopsTargets
    ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
endfunction()

function(trackops_test name)
  cmake_parse_arguments(T "" "TIMEOUT" "SOURCES;DEPS;LABELS" ${ARGN})
  if(NOT TRACKOPS_BUILD_TESTS)
    return()
  endif()
  if(NOT T_LABELS)
    set(T_LABELS unit)
  endif()
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 300)
  endif()
  add_executable(${name} ${T_SOURCES})
  target_link_libraries(${name} PRIVATE ${T_DEPS} GTest::gtest GTest::gmock GTest::gtest_main)
  target_compile_options(${name} PRIVATE ${TRACKOPS_WARNINGS})
  add_test(NAME ${name} COMMAND ${name})
  set_tests_properties(${name} PROPERTIES LABELS "${T_LABELS}" TIMEOUT ${T_TIMEOUT}
    ENVIRONMENT "TRACKOPS_SOURCE_DIR=${PROJECT_SOURCE_DIR};TRACKOPS_BINARY_DIR=${PROJECT_BINARY_DIR}")
endfunction()

function(trackops_benchmark name)
  cmake_parse_arguments(B "" "" "SOURCES;DEPS" ${ARGN})
  if(NOT TRACKOPS_BUILD_BENCHMARKS)
    return()
  endif()
  add_executable(${name} ${B_SOURCES})
  target_link_libraries(${name} PRIVATE ${B_DEPS} benchmark::benchmark benchmark::benchmark_main)
  target_compile_options(${name} PRIVATE ${TRACKOPS_WARNINGS})
endfunction()
