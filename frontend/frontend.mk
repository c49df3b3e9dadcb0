KASOU_SRCS += $(wildcard frontend/x86/*.c)
