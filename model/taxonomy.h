// Value types of the taxonomies: dimensions, schemes and their nodes.
#pragma once

#include <QList>
#include <QString>

#include <optional>

namespace Atlas
{

// The first-class dimensions an entry is classified along (NIST function is a facet).
enum class Dimension {
    Actor,
    Lifecycle,
    Risk,
    MitigationType,
    Function,
};

// All dimensions in the order the tree shows them.
QList<Dimension> allDimensions();
// The key stored in the database and used in JSON ("mitigation_type", ...).
QString dimensionKey(Dimension dimension);
std::optional<Dimension> dimensionFromKey(const QString &key);
// The translated, user-visible name ("Mitigation type", ...).
QString dimensionTitle(Dimension dimension);

struct Scheme {
    qint64 id = 0;
    QString key;
    QString name;
    Dimension dimension = Dimension::Risk;
    QString version;
    QString source;
    QString licence;
    QString description;
    bool bundled = false;
};

struct TaxonomyNode {
    qint64 id = 0;
    qint64 schemeId = 0;
    std::optional<qint64> parentId;
    QString code; // empty when the node has none
    QString name;
    QString description;
    bool provisional = false;
    int position = 0;

    // "1.1.2 Learning Objectives", or the name alone when there is no code.
    QString label() const { return code.isEmpty() ? name : code + QLatin1Char(' ') + name; }
};

} // namespace Atlas
