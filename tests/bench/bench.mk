# Benchmarks: bare-metal guests built with the x86 guest runtime and, from
# the same sources, with the AArch64 one (below); `make bench` runs each
# under kasou and QEMU (scripts/bench.sh) and prints, per guest
# architecture, the median times, the ratio kasou/QEMU and the geometric
# mean.
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

# The arm64 benchmarks: the same sources built with clang for AArch64 over
# the tests/guest/arm64 runtime, with tests/bench/arm64/lib.h first on the
# include path (the x86 runtime's names; rt.c sets up the MMU).  strscan is
# x86's string instructions and has no arm64 build.  The GUEST_A64_*
# variables come from tests/guest/arm64/suite.mk, read after this file:
# they are only used in recipes and recursive variables.
BENCH_A64_PROGS  := crc32 memcpy fib sort tlb smc cold
BENCH_A64_DIR    := tests/bench/arm64
BENCH_A64_OUT    := $(BUILD)/tests/bench/arm64
BENCH_A64_ELFS   := $(patsubst %,$(BENCH_A64_OUT)/%.elf,$(BENCH_A64_PROGS))
BENCH_A64_HDRS   := $(BENCH_A64_DIR)/lib.h tests/guest/arm64/lib.h
BENCH_A64_RT     := $(BUILD)/tests/guest/arm64/rt/start.o $(BUILD)/tests/guest/arm64/rt/lib.o \
                    $(BENCH_A64_OUT)/rt.o
BENCH_A64_CFLAGS  = -I$(BENCH_A64_DIR) $(GUEST_A64_CFLAGS)

$(BENCH_A64_OUT)/rt.o: $(BENCH_A64_DIR)/rt.c $(BENCH_A64_HDRS)
	@mkdir -p $(dir $@)
	$(GUEST_A64_CC) $(BENCH_A64_CFLAGS) -c $< -o $@
$(BENCH_A64_OUT)/%.o: tests/bench/%.c $(BENCH_A64_HDRS)
	@mkdir -p $(dir $@)
	$(GUEST_A64_CC) $(BENCH_A64_CFLAGS) -c $< -o $@
$(BENCH_A64_OUT)/%.elf: $(BENCH_A64_OUT)/%.o $(BENCH_A64_RT) tests/guest/arm64/guest.ld
	$(GUEST_A64_LD) $(GUEST_A64_LDFLAGS) -o $@ $(BENCH_A64_RT) $< $(BENCH_A64_EXTRA_OBJS)

BENCH_A64_COLD_OBJS := $(patsubst %,$(BENCH_A64_OUT)/cold-gen-%.o,$(COLD_PARTS))
$(BENCH_A64_OUT)/cold-gen-%.o: $(BENCH_OUT)/cold-gen-%.c $(BENCH_A64_HDRS)
	@mkdir -p $(dir $@)
	$(GUEST_A64_CC) $(BENCH_A64_CFLAGS) -O1 -c $< -o $@
$(BENCH_A64_OUT)/cold.o: tests/bench/cold.c $(BENCH_OUT)/cold-tab.inc $(BENCH_A64_HDRS)
	@mkdir -p $(dir $@)
	$(GUEST_A64_CC) $(BENCH_A64_CFLAGS) -I$(BENCH_OUT) -c $< -o $@
$(BENCH_A64_OUT)/cold.elf: $(BENCH_A64_COLD_OBJS)
$(BENCH_A64_OUT)/cold.elf: BENCH_A64_EXTRA_OBJS = $(BENCH_A64_COLD_OBJS)

.SECONDARY: $(patsubst %,$(BENCH_A64_OUT)/%.o,$(BENCH_A64_PROGS) rt) $(BENCH_A64_COLD_OBJS)

.PHONY: bench bench-guests
bench-guests: $(BENCH_ELFS) $(BENCH_A64_ELFS)

bench: kasou $(BENCH_ELFS) $(BENCH_A64_ELFS)
	@scripts/deps.sh bench
	@scripts/bench.sh $(BENCH_ELFS) $(BENCH_A64_ELFS)
