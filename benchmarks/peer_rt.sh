#!/bin/sh
# The peer for benchmarks/bench_api.py: Request Tracker 5.0.3 from Debian's package on the
# local PostgreSQL 15 (database rt_bench), served by Starlet (10 workers) on 127.0.0.1:8791.
# Run as root on a Debian 12 machine; RT's own code is never part of this repository.
#   benchmarks/peer_rt.sh install   # apt packages (~2 min)
#   benchmarks/peer_rt.sh setup     # config, fresh rt_bench, the bench user and queue
#   benchmarks/peer_rt.sh start|stop
set -eu
PORT=${RT_PORT:-8791}
WORKERS=${RT_WORKERS:-10}
PIDFILE=/tmp/rt_bench_starlet.pid
CONF=/etc/request-tracker5/RT_SiteConfig.d/99-bench.pm

case "${1:-}" in
install)
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        request-tracker5 rt5-db-postgresql libplack-perl starlet
    ;;
setup)
    cat > "$CONF" <<PERL
# benchmarks/peer_rt.sh: the benchmark's own database, served at the root of 127.0.0.1:$PORT.
Set(\$DatabaseType, 'Pg');
Set(\$DatabaseHost, '127.0.0.1');
Set(\$DatabasePort, '5432');
Set(\$DatabaseName, 'rt_bench');
Set(\$DatabaseUser, 'rt_bench');
Set(\$DatabasePassword, 'rt_bench');
Set(\$DatabaseAdmin, 'postgres');
Set(\$WebPath, '');
Set(\$WebDomain, '127.0.0.1');
Set(\$WebPort, $PORT);
Set(\$WebBaseURL, 'http://127.0.0.1:$PORT');
Set(\$LogToSyslog, 'error');
Set(\$LogToSTDERR, 'error');
Set(\$DevelMode, 0);
PERL
    psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS rt_bench" \
        -c "DROP ROLE IF EXISTS rt_bench"
    # rt-setup-database creates the database, the schema and the user, as the DBA.
    rt-setup-database-5 --action init --dba postgres --dba-password '' </dev/null
    # The benchmark's user (a privileged staff member, password bench1234) and queue.
    perl -I/usr/share/request-tracker5/lib -I/etc/request-tracker5 -e '
        use RT; RT::LoadConfig(); RT::Init();
        my $u = RT::User->new(RT->SystemUser);
        my ($ok, $msg) = $u->Create(Name => "bench", Password => "bench1234", Privileged => 1,
                                    EmailAddress => "bench\@example.org");
        $u->PrincipalObj->GrantRight(Right => "SuperUser", Object => RT->System);
        my $o = RT::User->new(RT->SystemUser);
        $o->Create(Name => "handler", Privileged => 1, EmailAddress => "handler\@example.org");
        $o->PrincipalObj->GrantRight(Right => "OwnTicket", Object => RT->System);
        print "users: $msg\n";'
    psql -h 127.0.0.1 -U postgres -d rt_bench -qc "ANALYZE"
    ;;
start)
    cd /tmp
    plackup -s Starlet --max-workers "$WORKERS" --host 127.0.0.1 --port "$PORT" \
        -E deployment /usr/share/request-tracker5/libexec/rt-server \
        >/tmp/rt_bench_starlet.log 2>&1 &
    echo $! > "$PIDFILE"
    for _ in $(seq 60); do
        curl -fs -o /dev/null "http://127.0.0.1:$PORT/NoAuth/Login.html" && exit 0
        sleep 1
    done
    echo "RT did not come up; see /tmp/rt_bench_starlet.log" >&2
    exit 1
    ;;
stop)
    [ -f "$PIDFILE" ] && kill "$(cat "$PIDFILE")" && rm -f "$PIDFILE"
    ;;
*)
    echo "usage: $0 install|setup|start|stop" >&2
    exit 2
    ;;
esac
