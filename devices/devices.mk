KASOU_SRCS += $(wildcard devices/*.c)
