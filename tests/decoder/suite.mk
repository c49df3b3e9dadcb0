# The x86 decoder against Capstone (tests/decoder/test_decoder.c): one
# "ok - decoder/<row>" line per opcodes.def row, #UD hole and fixed case.
$(BUILD)/tests/decoder/test_decoder: tests/decoder/test_decoder.c $(BUILD)/frontend/x86/decode.o \
                                     frontend/x86/decode.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(BUILD)/frontend/x86/decode.o $(LDFLAGS) $(shell pkg-config --libs capstone)

CHECK_DEPS += $(BUILD)/tests/decoder/test_decoder
CHECK_SUITES += $(BUILD)/tests/decoder/test_decoder
