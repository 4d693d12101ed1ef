#include "pipenamefield.h"

#include "breakable.h"

#include <QLabel>
#include <QLineEdit>
#include <QVBoxLayout>

namespace PipeScope {

PipeNameField::PipeNameField(QWidget *parent)
    : QWidget(parent), m_edit(new QLineEdit(this)), m_resolved(new QLabel(this))
{
    m_edit->setObjectName(QStringLiteral("pipeName"));
    m_edit->setPlaceholderText(QStringLiteral("\\\\.\\pipe\\NAME, NAME, /path or @abstract"));
    m_resolved->setObjectName(QStringLiteral("resolvedName"));
    m_resolved->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_resolved->setWordWrap(true);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_edit);
    layout->addWidget(m_resolved);
    connect(m_edit, &QLineEdit::textChanged, this, &PipeNameField::check);
    check();
}

QString PipeNameField::resolvedText() const
{
    return unbroken(m_resolved->text());
}

QString PipeNameField::name() const
{
    return m_edit->text();
}

void PipeNameField::setName(const QString &name)
{
    m_edit->setText(name);
}

void PipeNameField::setConvention(std::optional<Native::Convention> convention)
{
    m_convention = convention;
    check();
}

// Placing a name as the user types touches no file system (the GUI thread
// does none): a missing directory is said when the endpoint starts, by its
// own thread, in the dialog's problem line.
void PipeNameField::check()
{
    const auto name = Native::PipeName::parse(m_edit->text().toStdString());
    QString text;
    bool valid = false;
    if (!name) {
        text = QString::fromStdString(name.error().message());
    } else if (!m_convention) {
        // Automatic: the client looks under each convention when it connects.
        QStringList places;
        for (auto c : {Native::Convention::PipeScope, Native::Convention::Qt, Native::Convention::DotNet}) {
            if (const auto address = Native::resolvePipeName(name.value(), c, Native::Probe::None))
                places << QString::fromStdString(address.value().display());
        }
        // An absolute path or an abstract name is one place under all three.
        places.removeDuplicates();
        valid = !places.isEmpty();
        text = valid ? tr("Looks in: %1").arg(places.join(QStringLiteral(", "))) : tr("No convention can place this name");
    } else if (const auto address = Native::resolvePipeName(name.value(), *m_convention, Native::Probe::None)) {
        valid = true;
        text = tr("Pipe: %1").arg(QString::fromStdString(address.value().display()));
    } else {
        text = QString::fromStdString(address.error().message());
    }
    m_resolved->setText(breakable(text));
    m_valid = valid;
    emit validityChanged();
}

} // namespace PipeScope

#include "moc_pipenamefield.cpp"
