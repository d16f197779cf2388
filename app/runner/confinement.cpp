#include "confinement.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>

#include <cerrno>
#include <cstddef>
#include <cstring>

#if __has_include(<linux/landlock.h>)
#include <fcntl.h>
#include <linux/landlock.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#define ATLAS_HAVE_LANDLOCK 1
#endif

namespace Atlas::Runner
{

namespace
{

QString tr(const char *text)
{
    return QCoreApplication::translate("runner", text);
}

QString errnoText(int error)
{
    return QString::fromLocal8Bit(std::strerror(error));
}

#ifdef ATLAS_HAVE_LANDLOCK

// A file descriptor closed when it goes out of scope.
class Descriptor
{
public:
    explicit Descriptor(int fd) : m_fd(fd) { }
    ~Descriptor()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    Descriptor(const Descriptor &) = delete;
    Descriptor &operator=(const Descriptor &) = delete;
    int get() const { return m_fd; }

private:
    int m_fd;
};

int landlockAbi()
{
    const long abi = ::syscall(SYS_landlock_create_ruleset, nullptr, 0, LANDLOCK_CREATE_RULESET_VERSION);
    return abi < 0 ? -errno : int(abi);
}

// Every right that changes the file system. Rights newer than the kernel's ABI are left out
// (the kernel rejects a ruleset that names a right it does not know).
__u64 writeRights(int abi)
{
    __u64 rights = LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_REMOVE_DIR | LANDLOCK_ACCESS_FS_REMOVE_FILE | LANDLOCK_ACCESS_FS_MAKE_CHAR
        | LANDLOCK_ACCESS_FS_MAKE_DIR | LANDLOCK_ACCESS_FS_MAKE_REG | LANDLOCK_ACCESS_FS_MAKE_SOCK | LANDLOCK_ACCESS_FS_MAKE_FIFO
        | LANDLOCK_ACCESS_FS_MAKE_BLOCK | LANDLOCK_ACCESS_FS_MAKE_SYM;
    if (abi >= 2)
        rights |= LANDLOCK_ACCESS_FS_REFER; // renaming or linking a file into another folder
    if (abi >= 3)
        rights |= LANDLOCK_ACCESS_FS_TRUNCATE;
    return rights;
}

// Of the rights above, those that apply to a file itself (not to a folder's contents).
constexpr __u64 fileRights = LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_TRUNCATE;

// Allows `rights` below `path`; an error text, or an empty string.
QString allow(int ruleset, const QString &path, __u64 rights)
{
    const Descriptor target(::open(QFile::encodeName(path).constData(), O_PATH | O_CLOEXEC));
    if (target.get() < 0)
        return tr("%1: %2").arg(path, errnoText(errno));
    landlock_path_beneath_attr rule {};
    rule.allowed_access = rights;
    rule.parent_fd = target.get();
    if (::syscall(SYS_landlock_add_rule, ruleset, LANDLOCK_RULE_PATH_BENEATH, &rule, 0) != 0)
        return tr("%1: %2").arg(path, errnoText(errno));
    return {};
}

#endif

} // namespace

Confinement confineWrites(const QStringList &writableFolders)
{
    Confinement confinement;
#ifndef ATLAS_HAVE_LANDLOCK
    Q_UNUSED(writableFolders)
    confinement.description = tr("not confined: this system has no Landlock; the plugin can write wherever its user can");
    return confinement;
#else
    const int abi = landlockAbi();
    if (abi <= 0) {
        const int error = -abi;
        const QString why = error == ENOSYS || error == EOPNOTSUPP ? tr("the kernel offers no Landlock (Linux 5.13 or later, with Landlock enabled)")
                                                                   : tr("Landlock: %1").arg(errnoText(error));
        confinement.description = tr("not confined: %1; the plugin can write wherever its user can").arg(why);
        return confinement;
    }
    confinement.abi = abi;

    const __u64 rights = writeRights(abi);
    landlock_ruleset_attr attributes {};
    attributes.handled_access_fs = rights;
    if (abi >= 4)
        attributes.handled_access_net = LANDLOCK_ACCESS_NET_BIND_TCP | LANDLOCK_ACCESS_NET_CONNECT_TCP;
    if (abi >= 6)
        attributes.scoped = LANDLOCK_SCOPE_SIGNAL | LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET;
    // The size given tells the kernel which fields the struct has: older kernels know fewer.
    const size_t size = abi >= 6 ? sizeof attributes : abi >= 4 ? offsetof(landlock_ruleset_attr, scoped) : offsetof(landlock_ruleset_attr, handled_access_net);
    const Descriptor ruleset(int(::syscall(SYS_landlock_create_ruleset, &attributes, size, 0)));
    if (ruleset.get() < 0) {
        confinement.description = tr("not confined: Landlock refused the rules: %1").arg(errnoText(errno));
        return confinement;
    }

    QStringList problems;
    for (const QString &folder : writableFolders) {
        if (const QString problem = allow(ruleset.get(), QDir(folder).absolutePath(), rights); !problem.isEmpty())
            problems.append(problem);
    }
    // Programs write to /dev/null to throw output away; it is not a place to keep anything.
    if (const QString problem = allow(ruleset.get(), QStringLiteral("/dev/null"), rights & fileRights); !problem.isEmpty())
        problems.append(problem);
    if (!problems.isEmpty()) {
        confinement.description = tr("not confined: %1").arg(problems.join(QLatin1String("; ")));
        return confinement;
    }

    // Without this flag an unprivileged process may not restrict itself (a set-user-id program
    // run later could otherwise be fooled by the restrictions).
    if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 || ::syscall(SYS_landlock_restrict_self, ruleset.get(), 0) != 0) {
        confinement.description = tr("not confined: Landlock: %1").arg(errnoText(errno));
        return confinement;
    }
    confinement.writesConfined = true;
    confinement.networkConfined = abi >= 4;
    confinement.signalsConfined = abi >= 6;
    QStringList what {tr("writes confined to %1").arg(writableFolders.isEmpty() ? tr("nothing") : writableFolders.join(QLatin1String(", ")))};
    if (confinement.networkConfined)
        what.append(tr("no TCP connections"));
    if (confinement.signalsConfined)
        what.append(tr("no signals to other processes"));
    confinement.description = tr("%1 (Landlock ABI %2)").arg(what.join(QLatin1String("; "))).arg(abi);
    return confinement;
#endif
}

} // namespace Atlas::Runner
