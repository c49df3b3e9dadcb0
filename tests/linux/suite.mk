# Debian's Linux kernels as guests (tests/linux/README.md), in `make check`:
# both boot under kasou (and QEMU, to compare) to their init script's checks.
#   make linux-guests   fetch kernels + busybox once into cache/linux, build the initramfs images
#   make linux-test     boot both kernels under kasou and QEMU, check and compare
#   make run-linux      the amd64 kernel to an interactive busybox shell
# The arm64 kernel boots on -M virt (also in make check) with targets of its own:
#   make linux-guests-arm64  fetch the arm64 kernel + busybox, build its initramfs images
#   make linux-test-arm64    boot it under kasou and QEMU, check and compare
#   make run-linux-arm64     the arm64 kernel to an interactive busybox shell
.PHONY: linux-guests linux-test run-linux linux-guests-arm64 linux-test-arm64 run-linux-arm64
LINUX_CPU_AMD64 ?= max
linux-guests:
	@scripts/deps.sh check
	@scripts/fetch-guests.sh
linux-test: $(KASOU_BIN) linux-guests
	@scripts/run-tests.sh "bash tests/linux/run.sh"
run-linux:
	@scripts/deps.sh check
	@$(MAKE) --no-print-directory $(KASOU_BIN)
	@scripts/fetch-guests.sh amd64
	./kasou -M pc -m 512 -cpu $(LINUX_CPU_AMD64) -kernel cache/linux/amd64/vmlinuz \
	    -initrd cache/linux/amd64/initramfs-shell.cpio.gz -append console=ttyS0 -nographic
linux-guests-arm64:
	@scripts/deps.sh check
	@scripts/fetch-guests.sh arm64
linux-test-arm64: $(KASOU_BIN) linux-guests-arm64
	@scripts/run-tests.sh "bash tests/linux/run.sh arm64"
run-linux-arm64:
	@scripts/deps.sh check
	@$(MAKE) --no-print-directory $(KASOU_BIN)
	@scripts/fetch-guests.sh arm64
	./kasou -M virt -cpu cortex-a57 -m 512 -kernel cache/linux/arm64/vmlinuz \
	    -initrd cache/linux/arm64/initramfs-shell.cpio.gz -append console=ttyAMA0 -nographic

CHECK_DEPS   += linux-guests linux-guests-arm64
CHECK_SUITES += "bash tests/linux/run.sh"
CHECK_SUITES += "bash tests/linux/run.sh arm64"
# The amd64 kernel on kasou's -cpu max, which has XSAVE: the kernel then
# saves its FPU context with XSAVEOPT/XRSTOR (kasou only: QEMU's max differs).
CHECK_SUITES += "LINUX_KASOU_CPU=max LINUX_WANT_FLAGS='xsave xsaveopt' bash tests/linux/run.sh -e kasou amd64"
