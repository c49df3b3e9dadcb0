# Benchmarks: bare-metal guests built with the x86 guest runtime; `make
# bench` runs each under kasou and QEMU (scripts/bench.sh) and prints the
# median times, the ratio kasou/QEMU and the geometric mean.
include tests/guest/x86/runtime.mk

BENCH_PROGS := crc32 memcpy fib sort tlb smc strscan cold
BENCH_OUT   := $(BUILD)/tests/bench
BENCH_ELFS  := $(patsubst %,$(BENCH_OUT)/%.elf,$(BENCH_PROGS))

$(BENCH_OUT)/%.o: tests/bench/%.c $(GUEST_X86_HDRS)
	@mkdir -p $(dir $@)
	$(GUEST_X86_CC) $(GUEST_X86_CFLAGS) -c $< -o $@

$(BENCH_OUT)/%.elf: $(BENCH_OUT)/%.o $(GUEST_X86_RT) $(GUEST_X86_DIR)/guest.ld
	$(call guest_x86_link,$@,$(GUEST_X86_RT) $< $(BENCH_EXTRA_OBJS))

# cold: COLD_N generated functions (cold-gen.awk) in COLD_PARTS files that
# compile in parallel, at -O1 to keep the compile quick; never committed.
COLD_N     ?= 6000
COLD_PARTS := 0 1 2 3
COLD_GEN   := tests/bench/cold-gen.awk
COLD_OBJS  := $(patsubst %,$(BENCH_OUT)/cold-gen-%.o,$(COLD_PARTS))
$(BENCH_OUT)/cold-gen-%.c: $(COLD_GEN) tests/bench/bench.mk
	@mkdir -p $(dir $@)
	awk -v N=$(COLD_N) -v NPARTS=$(words $(COLD_PARTS)) -v PART=$* -f $(COLD_GEN) > $@.tmp && mv $@.tmp $@
$(BENCH_OUT)/cold-tab.inc: $(COLD_GEN) tests/bench/bench.mk
	@mkdir -p $(dir $@)
	awk -v N=$(COLD_N) -v PART=-1 -f $(COLD_GEN) > $@.tmp && mv $@.tmp $@
$(BENCH_OUT)/cold-gen-%.o: $(BENCH_OUT)/cold-gen-%.c $(GUEST_X86_HDRS)
	$(GUEST_X86_CC) $(GUEST_X86_CFLAGS) -O1 -c $< -o $@
$(BENCH_OUT)/cold.o: tests/bench/cold.c $(BENCH_OUT)/cold-tab.inc $(GUEST_X86_HDRS)
	$(GUEST_X86_CC) $(GUEST_X86_CFLAGS) -I$(BENCH_OUT) -c $< -o $@
$(BENCH_OUT)/cold.elf: $(COLD_OBJS)
$(BENCH_OUT)/cold.elf: BENCH_EXTRA_OBJS = $(COLD_OBJS)

.SECONDARY: $(patsubst %,$(BENCH_OUT)/%.o,$(BENCH_PROGS)) $(COLD_OBJS) $(COLD_OBJS:.o=.c)

.PHONY: bench bench-guests
bench-guests: $(BENCH_ELFS)

bench: kasou $(BENCH_ELFS)
	@scripts/deps.sh bench
	@scripts/bench.sh $(BENCH_ELFS)
