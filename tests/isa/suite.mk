# What the x86 CPU implements, generated from the sources (tests/isa/x86_isa.c):
#   make isa-list [ISA_MODEL=max]   instructions, MSRs and CPUID bits
# In make check: every mnemonic of frontend/x86/opcodes.def has a handler.
ISA_TOOL := $(BUILD)/tests/isa/x86_isa
ISA_MODEL ?= max
$(ISA_TOOL): tests/isa/x86_isa.c $(CORE_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(CORE_OBJS) $(LDFLAGS) $(LDLIBS)

.PHONY: isa-list
isa-list: $(ISA_TOOL)
	@$(ISA_TOOL) $(ISA_MODEL)

CHECK_DEPS += $(ISA_TOOL)
CHECK_SUITES += "$(ISA_TOOL) --check"

# The A64 instructions kasou decodes and translates, from the decode file
# itself (tests/isa/a64_isa.c): each trans_ handler with the instructions
# its patterns accept, named by Capstone.
A64_ISA_TOOL := $(BUILD)/tests/isa/a64_isa
$(A64_ISA_TOOL): tests/isa/a64_isa.c $(CORE_OBJS) $(A64_DECODE_INC)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -I$(BUILD) -o $@ $< $(CORE_OBJS) $(LDFLAGS) $(LDLIBS)

.PHONY: a64-isa-list
a64-isa-list: $(A64_ISA_TOOL)
	@$(A64_ISA_TOOL)

CHECK_DEPS += $(A64_ISA_TOOL)
