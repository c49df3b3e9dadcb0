# Tests. Every suite is a program or script listed in CHECK_SUITES that
# prints one line per case: "ok - <name>" or "not ok - <name> [: why]".
# scripts/run-tests.sh runs them all and ends with "N passed, N failed".

CHECK_SUITES :=
CHECK_DEPS :=
include $(wildcard tests/*/suite.mk tests/*/*/suite.mk)

check:
	@scripts/deps.sh check
	@$(MAKE) --no-print-directory check-run
check-run: $(KASOU_BIN) $(CHECK_DEPS)
	@scripts/run-tests.sh $(CHECK_SUITES)
