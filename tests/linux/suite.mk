# Debian's Linux kernels as guests (tests/linux/README.md), in `make check`:
# both boot under kasou (and QEMU, to compare) to their init script's checks.
#   make linux-guests   fetch kernels + busybox once into cache/linux, build the initramfs images
#   make linux-test     boot both kernels under kasou and QEMU, check and compare
#   make run-linux      the amd64 kernel to an interactive busybox shell
.PHONY: linux-guests linux-test run-linux
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

CHECK_DEPS   += linux-guests
CHECK_SUITES += "bash tests/linux/run.sh"
