#!/usr/bin/env bash
# Re-blesses every approved listing in one command: the golden listings per compiler stage
# (src/test/resources/golden/, GoldenListingTest) and every other test that compares with ListingFiles
# (found by name: any test class calling ListingFiles.assertApproved or reading isthmus.bless), then prints which
# listing files changed. Review that diff like code before committing it.
#
#   scripts/bless-listings.sh          # bless, then show the changed listings
#   scripts/bless-listings.sh -o       # extra arguments go to Maven (here: offline)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/java-home.sh
tests=$(grep -rlE 'ListingFiles\.assertApproved|isthmus\.bless' src/test/java --include='*Test.java' \
    | sed 's|.*/||; s|\.java$||' | sort | paste -sd, -)
echo "blessing: ${tests//,/ }"
./mvnw -q -B "$@" test -Dtest="$tests" -Dsurefire.failIfNoSpecifiedTests=false -Disthmus.bless=true
git status --short -- src/test/resources
