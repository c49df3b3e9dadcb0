KASOU_SRCS += $(wildcard machine/*.c)
