# kasou: one non-recursive Makefile; each folder adds itself in its .mk.
# Objects and generated files go under build/.

CC      ?= gcc
BUILD   := build
PKGS    := capstone libffi sdl2 libzstd
SANITIZE ?= 0

CFLAGS_BASE := -std=gnu11 -O2 -g -Wall -Wextra -Werror -Wno-unused-parameter \
               -Wno-missing-field-initializers -fno-strict-aliasing -I.
ifeq ($(SANITIZE),1)
  CFLAGS_BASE += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
  LDFLAGS     += -fsanitize=address,undefined
  BUILD       := build/san
endif
# generated headers (the A64 decoder) live under the build directory in use
CFLAGS_BASE += -I$(BUILD)
# A sanitized kasou lives beside its objects so it never replaces ./kasou.
KASOU_BIN := $(if $(filter 1,$(SANITIZE)),$(BUILD)/kasou,kasou)
export KASOU := $(abspath $(KASOU_BIN))
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CFLAGS  += $(CFLAGS_BASE) $(PKG_CFLAGS)
LDLIBS  += $(PKG_LIBS) -lm

.PHONY: all build check check-run run run-demo bench bench-run clean
# Setup first (install missing Debian packages when root, else name them),
# then build in a second make so pkg-config sees what was just installed.
all:
	@scripts/deps.sh build
	@$(MAKE) --no-print-directory build
build: $(KASOU_BIN)

KASOU_SRCS :=
include tcg/tcg.mk
include backend/backend.mk
include softmmu/softmmu.mk
include fpu/fpu.mk
include frontend/frontend.mk
include devices/devices.mk
include machine/machine.mk
include roms/roms.mk

KASOU_OBJS := $(patsubst %.c,$(BUILD)/%.o,$(KASOU_SRCS))
CORE_OBJS  := $(filter-out $(BUILD)/machine/main.o,$(KASOU_OBJS))

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

$(KASOU_BIN): $(KASOU_OBJS)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

include tests/tests.mk

# The default guest: Debian's x86-64 kernel with a busybox initramfs, to an
# interactive shell on the terminal (tests/linux/suite.mk fetches both).
# `make run-demo` boots the small bare-metal demo instead.
run: run-linux

RUN_DEMO := $(BUILD)/tests/guest/x86/demo.elf
run-demo:
	@scripts/deps.sh check
	@$(MAKE) --no-print-directory kasou $(RUN_DEMO)
	@# the demo's `exit` writes 0 to isa-debug-exit: status (0 << 1) | 1
	./kasou -M pc -m 128 -kernel $(RUN_DEMO) -nographic || [ $$? -eq 1 ]

-include $(KASOU_OBJS:.o=.d)

clean:
	rm -rf build kasou
