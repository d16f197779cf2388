// BundledTaxonomies: the taxonomy schemes every library starts with, read from the
// program's resources (resources/taxonomies/) and written in one transaction.
#pragma once

#include "result.h"

#include <QSqlDatabase>
#include <QStringList>

namespace Atlas
{

class BundledTaxonomies
{
public:
    // Scheme keys in the order they are installed.
    static QStringList keys();
    // Adds every bundled scheme the library lacks (by key); existing schemes are left alone.
    // All or nothing: on an error the library is unchanged.
    static Status install(const QSqlDatabase &db);
};

} // namespace Atlas
