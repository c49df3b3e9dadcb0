KASOU_SRCS += $(wildcard fpu/*.c)
