# Build rules shared by every bare-metal x86 guest (tests/guest/x86,
# tests/native, tests/bench): freestanding -m32, linked at 1 MiB with
# guest.ld, runtime = start.S + lib.c + pt.c.  Included once by each suite.
ifndef GUEST_X86_RUNTIME_MK
GUEST_X86_RUNTIME_MK := 1

GUEST_X86_DIR    := tests/guest/x86
GUEST_X86_OUT    := $(BUILD)/tests/guest/x86
GUEST_X86_CC     := gcc
GUEST_X86_CFLAGS := -m32 -ffreestanding -fno-pic -fno-stack-protector -nostdlib \
                    -O2 -mgeneral-regs-only -fno-builtin -fno-asynchronous-unwind-tables \
                    -Wall -Wextra -Werror -Wno-unused-parameter -I$(GUEST_X86_DIR)
GUEST_X86_LDFLAGS := -m32 -nostdlib -no-pie -static \
                     -Wl,--build-id=none,-z,noexecstack,--no-warn-rwx-segments \
                     -T $(GUEST_X86_DIR)/guest.ld
GUEST_X86_RT     := $(GUEST_X86_OUT)/rt/start.o $(GUEST_X86_OUT)/rt/lib.o \
                    $(GUEST_X86_OUT)/rt/pt.o
GUEST_X86_HDRS   := $(GUEST_X86_DIR)/lib.h $(GUEST_X86_DIR)/ops.h \
                    $(GUEST_X86_DIR)/opsprog.h $(GUEST_X86_DIR)/user.h

$(GUEST_X86_OUT)/rt/%.o: $(GUEST_X86_DIR)/%.S
	@mkdir -p $(dir $@)
	$(GUEST_X86_CC) $(GUEST_X86_CFLAGS) -c $< -o $@

$(GUEST_X86_OUT)/rt/%.o: $(GUEST_X86_DIR)/%.c $(GUEST_X86_HDRS)
	@mkdir -p $(dir $@)
	$(GUEST_X86_CC) $(GUEST_X86_CFLAGS) -c $< -o $@

.SECONDARY: $(GUEST_X86_RT)

# $(call guest_x86_link,out.elf,objects...)
guest_x86_link = $(GUEST_X86_CC) $(GUEST_X86_LDFLAGS) -o $(1) $(2) -lgcc
endif
