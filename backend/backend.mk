KASOU_SRCS += $(wildcard backend/x86_64/*.c) $(wildcard backend/interp/*.c)
