KASOU_SRCS += $(wildcard frontend/x86/*.c)
include frontend/arm64/arm64.mk
