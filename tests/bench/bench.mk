# Benchmarks: bare-metal guests built with the x86 guest runtime; `make
# bench` runs each under kasou and QEMU (scripts/bench.sh) and prints the
# median times, the ratio kasou/QEMU and the geometric mean.
include tests/guest/x86/runtime.mk

BENCH_PROGS := crc32 memcpy fib sort tlb smc strscan
BENCH_OUT   := $(BUILD)/tests/bench
BENCH_ELFS  := $(patsubst %,$(BENCH_OUT)/%.elf,$(BENCH_PROGS))

$(BENCH_OUT)/%.o: tests/bench/%.c $(GUEST_X86_HDRS)
	@mkdir -p $(dir $@)
	$(GUEST_X86_CC) $(GUEST_X86_CFLAGS) -c $< -o $@

$(BENCH_OUT)/%.elf: $(BENCH_OUT)/%.o $(GUEST_X86_RT) $(GUEST_X86_DIR)/guest.ld
	$(call guest_x86_link,$@,$(GUEST_X86_RT) $<)

.SECONDARY: $(patsubst %,$(BENCH_OUT)/%.o,$(BENCH_PROGS))

.PHONY: bench bench-guests
bench-guests: $(BENCH_ELFS)

bench: kasou $(BENCH_ELFS)
	@scripts/deps.sh bench
	@scripts/bench.sh $(BENCH_ELFS)
