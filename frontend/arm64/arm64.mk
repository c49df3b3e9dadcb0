# The A64 frontend: its sources, and the decoder generated from a64.decode
# by decodegen (a host tool built here; the output lives in build/ only).
KASOU_SRCS += $(filter-out frontend/arm64/decodegen.c,$(wildcard frontend/arm64/*.c))
# the virt board's device tree (libfdt: no pkg-config file on Debian) and
# gzip'd arm64 Images (zlib)
LDLIBS += -lfdt -lz

A64_DECODEGEN := $(BUILD)/frontend/arm64/decodegen
A64_DECODE_INC := $(BUILD)/frontend/arm64/a64-decode.inc

$(A64_DECODEGEN): frontend/arm64/decodegen.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) -o $@ $<

$(A64_DECODE_INC): frontend/arm64/a64.decode $(A64_DECODEGEN)
	@mkdir -p $(dir $@)
	$(A64_DECODEGEN) $< $@

# the generated decoder is found under $(BUILD) (build/san for SANITIZE=1)
$(BUILD)/frontend/arm64/translate.o: $(A64_DECODE_INC)
