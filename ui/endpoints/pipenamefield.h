#pragma once

#include "nativepipe.h"

#include <QWidget>

#include <optional>

class QLabel;
class QLineEdit;

namespace PipeScope {

// Shows, as the user types, where a name will be (the socket path, @name or
// \\.\pipe\NAME) or why it cannot be. Used by both dialogs.
class PipeNameField : public QWidget
{
    Q_OBJECT
public:
    explicit PipeNameField(QWidget *parent = nullptr);

    QLineEdit *edit() const { return m_edit; }
    QLabel *resolved() const { return m_resolved; }
    // Where the name leads, as said (the label's has breaks in long names).
    QString resolvedText() const;
    QString name() const;
    void setName(const QString &name);
    // Re-checks under this convention; nullopt: automatic (any convention).
    void setConvention(std::optional<Native::Convention> convention);
    bool isValid() const { return m_valid; }

signals:
    void validityChanged();

private:
    void check();

    QLineEdit *m_edit;
    QLabel *m_resolved;
    std::optional<Native::Convention> m_convention = Native::Convention::PipeScope;
    bool m_valid = false;
};

} // namespace PipeScope
