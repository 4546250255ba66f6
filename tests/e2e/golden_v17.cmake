# Version 17 (transformer) nets against KataGo's golden kata-raw-nn outputs:
# every fifth position of the b6c96 set, evaluated by the reference with the
# two small test nets. include()d from tests/e2e/CMakeLists.txt, which defines
# hoshi_e2e_test, HOSHI_BIN, SHARED and HOSHI_GOLDEN_TESTS.
foreach(_v17_net b7c96h3tfrs-test5-cnorm b7c96h6kv3qk32v16tflrs-fson-bnh)
  set(_v17_model ${SHARED}/models/${_v17_net}.bin.gz)
  set(_v17_golden ${SHARED}/golden/${_v17_net}-raw-nn.jsonl)
  if(HOSHI_GOLDEN_TESTS AND EXISTS ${_v17_model} AND EXISTS ${_v17_golden})
    hoshi_e2e_test(golden-${_v17_net} 600
      ${Python3_EXECUTABLE} ${SHARED}/tools/golden_check.py
        --engine "${HOSHI_BIN} gtp -model ${_v17_model}" ${_v17_golden})
  endif()
endforeach()
