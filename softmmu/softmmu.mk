KASOU_SRCS += $(wildcard softmmu/*.c)
