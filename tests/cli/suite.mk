# Command line, loader errors (run.sh) and the pc board end to end against
# QEMU (boot.sh). Both build their test inputs themselves.
CHECK_SUITES += "bash tests/cli/run.sh" "bash tests/cli/boot.sh"
CHECK_DEPS += $(KASOU_BIN)
CHECK_SUITES += "bash tests/cli/linux.sh"
CHECK_SUITES += "bash tests/cli/monitor.sh"
