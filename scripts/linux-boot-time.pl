#!/usr/bin/perl
# Time one Linux guest boot: seconds from starting the emulator to the
# marker line, then (with IDLE > 0) the emulator's host CPU use while the
# guest sits at its shell prompt for IDLE seconds (utime+stime from
# /proc/PID/stat), then stop it with SIGTERM.
#   linux-boot-time.pl MARKER IDLE TIMEOUT cmd args...
# Prints "boot S" (or "boot none: why") and, with IDLE, "idle_cpu PERCENT".
use strict;
use warnings;
use POSIX qw(WNOHANG);
use Time::HiRes qw(time sleep);

my ($marker, $idle, $timeout, @cmd) = @ARGV;
die "usage: $0 MARKER IDLE TIMEOUT cmd...\n" unless @cmd;
my $t0 = time;
my $pid = open(my $out, '-|', @cmd) // die "cannot run $cmd[0]: $!\n";
my ($buf, $ended, $panic) = ('', 0, '');

# read until PATTERN shows up in the output, or the deadline
sub wait_for {
    my ($pat, $deadline) = @_;
    while (time < $deadline) {
        my $rin = '';
        vec($rin, fileno($out), 1) = 1;
        my $n = select(my $rout = $rin, undef, undef, $deadline - time);
        next if $n <= 0;
        my $got = sysread($out, my $chunk, 65536);
        if (!$got) {                   # the emulator ended
            $ended = 1;
            return 0;
        }
        $buf .= $chunk;
        return 1 if index($buf, $pat) >= 0;
        return 0 if $buf =~ /Kernel panic - not syncing[^\r\n]*/ && ($panic = $&);
        $buf = substr($buf, -4096) if length($buf) > 65536;
    }
    return 0;
}

sub stop {
    kill 'TERM', $pid;
    for (1 .. 50) { return if waitpid($pid, WNOHANG) == $pid; sleep 0.1 }
    kill 'KILL', $pid;
    waitpid($pid, 0);
}

sub cpu_ticks {
    open(my $f, '<', "/proc/$pid/stat") or return undef;
    my $s = <$f>;
    $s =~ s/^.*\) //;                  # fields after "pid (comm) "
    my @f = split / /, $s;
    return $f[11] + $f[12];            # utime, stime (fields 14 and 15)
}

if (!wait_for("$marker", $t0 + $timeout)) {
    my $last = (grep { /\S/ } split /\r?\n/, $buf)[-1] // '';
    $last = substr($last, 0, 100);
    printf "boot none: %s (last output: '%s')\n",
        $panic ? sprintf("%s after %.1f s", $panic, time - $t0)
        : $ended ? sprintf("the emulator ended after %.1f s without the marker", time - $t0)
        : "no marker within ${timeout} s", $last;
    stop();
    exit 1;
}
printf "boot %.3f\n", time - $t0;
if ($idle > 0) {
    # the shell's prompt, then idle
    wait_for('# ', time + 30);
    sleep 1;
    my $hz = POSIX::sysconf(POSIX::_SC_CLK_TCK()) || 100;
    my ($c0, $w0) = (cpu_ticks(), time);
    sleep $idle;
    my ($c1, $w1) = (cpu_ticks(), time);
    if (defined $c0 && defined $c1) {
        printf "idle_cpu %.1f\n", 100 * ($c1 - $c0) / $hz / ($w1 - $w0);
    } else {
        print "idle_cpu none: the emulator ended\n";
    }
}
stop();
exit 0;
