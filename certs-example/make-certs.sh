#!/bin/sh
# Make a complete example certificate set for mmmbench: a CA, the coordinator, and two agents.
#
#   ./make-certs.sh mmmbench [DIR]   with `mmmbench certs` (set MMMBENCH=/path/to/mmmbench if not on PATH)
#   ./make-certs.sh openssl  [DIR]   with plain `openssl` commands producing equivalent files
#
# DIR defaults to ./example-certs. Existing files are not overwritten unless FORCE=1.
# The coordinator certificate is for localhost and 127.0.0.1, so the set works on one machine as is;
# set SAN=host1,10.0.0.5 (comma-separated DNS names / IP addresses) for a real deployment.
# Agents: AGENTS="agent-1 agent-2" by default.
set -eu

MODE=${1:-mmmbench}
DIR=${2:-./example-certs}
SAN=${SAN:-localhost,127.0.0.1}
AGENTS=${AGENTS:-agent-1 agent-2}
FORCE=${FORCE:-0}
CA_DAYS=${CA_DAYS:-3650}
DAYS=${DAYS:-90}

with_mmmbench() {
    bin=${MMMBENCH:-mmmbench}
    force=""
    [ "$FORCE" = 1 ] && force="--force"
    "$bin" certs init --dir "$DIR" --days "$CA_DAYS" $force
    "$bin" certs coordinator --dir "$DIR" --san "$SAN" --days "$DAYS" $force
    for agent in $AGENTS; do
        "$bin" certs agent --dir "$DIR" --name "$agent" --days "$DAYS" $force
    done
}

# --- plain openssl -------------------------------------------------------------------------------------------

refuse_existing() {
    if [ "$FORCE" != 1 ]; then
        for file in "$@"; do
            if [ -e "$file" ]; then
                echo "error: $file exists (set FORCE=1 to overwrite)" >&2
                exit 1
            fi
        done
    fi
}

# P-256 key in PKCS#8 PEM, mode 0600 from the start.
new_key() {
    (umask 077 && openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1")
    chmod 600 "$1"
}

# SAN list "host1,10.0.0.5" -> "DNS:host1,IP:10.0.0.5"
san_extension() {
    echo "$1" | tr ',' '\n' | while read -r name; do
        case "$name" in
            *:*) echo "IP:$name" ;;         # IPv6 literal
            *[!0-9.]*) echo "DNS:$name" ;;  # anything but digits and dots: a DNS name
            *) echo "IP:$name" ;;           # IPv4 literal
        esac
    done | paste -sd, -
}

# issue NAME CN EXTENDED_KEY_USAGE SUBJECT_ALT_NAMES
issue() {
    name=$1 cn=$2 eku=$3 sans=$4
    refuse_existing "$DIR/$name.pem" "$DIR/$name-key.pem"
    new_key "$DIR/$name-key.pem"
    cat > "$WORK/$name.cnf" <<CNF
[leaf]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = $eku
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
subjectAltName = $sans
CNF
    openssl req -new -key "$DIR/$name-key.pem" -subj "/O=mmmbench/CN=$cn" -out "$WORK/$name.csr"
    openssl x509 -req -in "$WORK/$name.csr" -CA "$DIR/ca.pem" -CAkey "$DIR/ca-key.pem" \
        -set_serial "0x$(openssl rand -hex 15)" -days "$DAYS" -sha256 \
        -extfile "$WORK/$name.cnf" -extensions leaf -out "$DIR/$name.pem" 2>/dev/null
    chmod 644 "$DIR/$name.pem"
    echo "certificate: $DIR/$name.pem  private key: $DIR/$name-key.pem (mode 0600)"
}

with_openssl() {
    mkdir -p "$DIR"
    WORK=$(mktemp -d)
    trap 'rm -rf "$WORK"' EXIT

    # The CA: self-signed, CA:TRUE with pathlen 0 (it signs leaves only).
    refuse_existing "$DIR/ca.pem" "$DIR/ca-key.pem"
    new_key "$DIR/ca-key.pem"
    cat > "$WORK/ca.cnf" <<CNF
[req]
distinguished_name = dn
[dn]
[ca]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
CNF
    openssl req -x509 -new -key "$DIR/ca-key.pem" -subj "/O=mmmbench/CN=mmmbench CA" -days "$CA_DAYS" -sha256 \
        -set_serial "0x$(openssl rand -hex 15)" -config "$WORK/ca.cnf" -extensions ca -out "$DIR/ca.pem"
    chmod 644 "$DIR/ca.pem"
    echo "CA certificate: $DIR/ca.pem  CA private key: $DIR/ca-key.pem (mode 0600)"

    # The coordinator: serverAuth, CN = first SAN.
    first=${SAN%%,*}
    issue coordinator "$first" serverAuth "$(san_extension "$SAN")"

    # Agents: clientAuth, CN and DNS SAN = agent name.
    for agent in $AGENTS; do
        issue "$agent" "$agent" clientAuth "DNS:$agent"
    done

    openssl verify -CAfile "$DIR/ca.pem" -purpose sslserver "$DIR/coordinator.pem" >/dev/null
    for agent in $AGENTS; do
        openssl verify -CAfile "$DIR/ca.pem" -purpose sslclient "$DIR/$agent.pem" >/dev/null
    done
}

case "$MODE" in
    mmmbench) with_mmmbench ;;
    openssl) with_openssl ;;
    *) echo "usage: $0 mmmbench|openssl [DIR]" >&2; exit 2 ;;
esac
echo "done: $DIR"
