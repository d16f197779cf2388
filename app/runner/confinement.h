// Confinement of a plugin run: before the runner loads a plugin, it asks the kernel (Landlock,
// Linux 5.13 and later, no privileges needed) to refuse every write outside the run's folder for
// the rest of the process's life — creating, changing, truncating, renaming or removing files and
// folders — and, where the kernel supports it, TCP connections and signals to other processes.
// Reading stays allowed everywhere: a demo reads its own data and the files a user gives it.
#pragma once

#include <QString>
#include <QStringList>

namespace Atlas::Runner
{

struct Confinement {
    // False when the kernel offers no Landlock (or refused it): the run goes on unconfined.
    bool writesConfined = false;
    bool networkConfined = false; // TCP connect and bind refused (Landlock ABI 4)
    bool signalsConfined = false; // signals to processes outside the run refused (ABI 6)
    int abi = 0; // the kernel's Landlock ABI version, 0 if none
    // One line for the run's log: what is confined, or why nothing is.
    QString description;
};

// Restricts this process (and every thread and child it makes from now on) so that it can write
// only below `writableFolders` (which must exist) and to /dev/null. Cannot be undone.
Confinement confineWrites(const QStringList &writableFolders);

} // namespace Atlas::Runner
