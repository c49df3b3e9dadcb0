KASOU_SRCS += $(wildcard tcg/*.c)
