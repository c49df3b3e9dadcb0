# Firmware images built here from source (never copied firmware): each
# roms/NAME.S becomes a 64 KiB image build/roms/NAME.bin for -bios, with
# the guest toolchain of tests/guest/x86 (gcc -m32 as the assembler, ld,
# objcopy). Used by tests/bios.
ROMS_OUT := $(BUILD)/roms
ROMS     := $(ROMS_OUT)/modes.bin

$(ROMS_OUT)/%.o: roms/%.S
	@mkdir -p $(dir $@)
	gcc -m32 -c $< -o $@

$(ROMS_OUT)/%.elf: $(ROMS_OUT)/%.o roms/rom.ld
	ld -m elf_i386 --build-id=none -T roms/rom.ld $< -o $@

$(ROMS_OUT)/%.bin: $(ROMS_OUT)/%.elf
	objcopy -O binary $< $@

.SECONDARY: $(ROMS_OUT)/modes.o $(ROMS_OUT)/modes.elf
roms: $(ROMS)
.PHONY: roms
