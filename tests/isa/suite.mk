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
# itself: each trans_ handler with its encoding patterns (a64.decode lines).
.PHONY: a64-isa-list
a64-isa-list:
	@awk '!/^[[:space:]]*#/ && NF && $$1 !~ /^[{}]/ { if (!($$1 in n)) order[++k] = $$1; n[$$1]++; p++ } \
	      END { for (i = 1; i <= k; i++) printf("  %-16s %2d pattern%s\n", order[i], n[order[i]], (n[order[i]] > 1 ? "s" : " ")); \
	            printf "  (%d handlers, %d encoding patterns in frontend/arm64/a64.decode)\n", k, p }' frontend/arm64/a64.decode
