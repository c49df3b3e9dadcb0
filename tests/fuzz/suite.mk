# Random code under kasou: it may do anything to itself, never to kasou.
include tests/guest/x86/runtime.mk

FUZZ_OUT := $(BUILD)/tests/fuzz

$(FUZZ_OUT)/fuzz.o: tests/fuzz/fuzz.c $(GUEST_X86_HDRS)
	@mkdir -p $(dir $@)
	$(GUEST_X86_CC) $(GUEST_X86_CFLAGS) -c $< -o $@

$(FUZZ_OUT)/fuzz.elf: $(FUZZ_OUT)/fuzz.o $(GUEST_X86_RT) $(GUEST_X86_DIR)/guest.ld
	$(call guest_x86_link,$@,$(GUEST_X86_RT) $<)

CHECK_DEPS   += $(FUZZ_OUT)/fuzz.elf
# Seeds 1-12, plus those that once found a bug: 183 (a 180 KiB block
# overflowed the 16-bit chain offsets).
CHECK_SUITES += "tests/fuzz/run.sh $(FUZZ_OUT)/fuzz.elf $(shell seq 1 12) 152 183"
