# The A64 decoder: decodegen's own checks (tests/decoder-arm64/decodegen.sh)
# and the generated decoder against Capstone (test_decoder_a64.c).
$(BUILD)/tests/decoder-arm64/test_decoder_a64: tests/decoder-arm64/test_decoder_a64.c $(CORE_OBJS) \
                                               $(A64_DECODE_INC)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -I$(BUILD) -o $@ $< $(CORE_OBJS) $(LDFLAGS) $(LDLIBS)

CHECK_DEPS += $(BUILD)/tests/decoder-arm64/test_decoder_a64 $(A64_DECODEGEN)
CHECK_SUITES += $(BUILD)/tests/decoder-arm64/test_decoder_a64
CHECK_SUITES += "tests/decoder-arm64/decodegen.sh $(A64_DECODEGEN)"
