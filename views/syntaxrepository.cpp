#include "syntaxrepository.h"

#include <KSyntaxHighlighting/Repository>

namespace Atlas
{

KSyntaxHighlighting::Repository &syntaxRepository()
{
    static KSyntaxHighlighting::Repository repository;
    return repository;
}

} // namespace Atlas
