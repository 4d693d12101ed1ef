#include "endpointdialog.h"

#include "breakable.h"
#include "screenroom.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QVBoxLayout>

#include <algorithm>

namespace PipeScope {

namespace {

// As large as the form it holds when there is room, so a dialog opens at
// its full size on a large screen; and smaller when there is not, with
// scroll bars (a QScrollArea's own hint stops at about 36 × 24 lines).
class FormScrollArea final : public QScrollArea
{
public:
    using QScrollArea::QScrollArea;
    QSize sizeHint() const override
    {
        const int frame = 2 * frameWidth();
        return widget() ? widget()->sizeHint() + QSize(frame, frame) : QScrollArea::sizeHint();
    }
};

} // namespace

EndpointDialog::EndpointDialog(QWidget *parent)
    : QDialog(parent),
      m_name(new PipeNameField(this)),
      m_form(new QWidget(this)),
      m_problem(new QLabel(this)),
      m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    m_problem->setObjectName(QStringLiteral("dialogProblem"));
    m_problem->setWordWrap(true);
    m_problem->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_scroll = new FormScrollArea(this);
    m_scroll->setFrameShape(QFrame::NoFrame);
    m_scroll->setWidgetResizable(true);
    m_scroll->setWidget(m_form);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_scroll, 1);
    layout->addWidget(m_problem);
    layout->addWidget(m_buttons);
    connect(m_buttons, &QDialogButtonBox::accepted, this, [this] {
        if (inputProblem().isEmpty() && !m_busy)
            emit submitted();
    });
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_name, &PipeNameField::validityChanged, this, [this] {
        m_error.clear();
        validate();
    });
}

void EndpointDialog::showError(const QString &message)
{
    m_error = message;
    setBusy(false);
}

void EndpointDialog::setBusy(bool busy, const QString &what)
{
    m_busy = busy;
    m_form->setEnabled(!busy);
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(!busy);
    if (busy) {
        m_problem->setText(breakable(what));
        fitContents();
    } else {
        validate();
    }
}

int EndpointDialog::neededHeight(int width) const
{
    QLayout *outer = layout();
    m_scroll->updateGeometry(); // the form's hint may have changed
    outer->activate();
    return outer->hasHeightForWidth() ? outer->totalHeightForWidth(width) : outer->totalSizeHint().height();
}

void EndpointDialog::fitContents()
{
    // A window's layout does not grow it for wrapped text (height for
    // width); left alone, the form is squeezed to make room for a long
    // error. Grow the dialog instead, as far as the screen allows (the
    // form scrolls beyond that). Before the first show, showEvent sizes it.
    if (!m_sized)
        return;
    const int needed = std::min(neededHeight(width()), roomOnScreen(this).height());
    if (height() < needed)
        resize(width(), needed);
}

void EndpointDialog::showEvent(QShowEvent *event)
{
    if (!m_sized) {
        // The whole form where the screen has room for it (or the size
        // asked for before showing); else as much as fits, with the
        // problem line and the buttons always in view.
        m_sized = true;
        const QSize room = roomOnScreen(this);
        if (testAttribute(Qt::WA_Resized)) {
            resize(size().boundedTo(room));
        } else {
            const int width = std::min(layout()->totalSizeHint().width(), room.width());
            resize(width, std::min(neededHeight(width), room.height()));
        }
    }
    QDialog::showEvent(event);
}

QString EndpointDialog::problemText() const
{
    return unbroken(m_problem->text());
}

void EndpointDialog::validate()
{
    if (m_busy)
        return;
    const QString problem = inputProblem();
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(problem.isEmpty());
    m_problem->setText(breakable(!m_error.isEmpty() ? m_error : problem));
    fitContents();
}

} // namespace PipeScope

#include "moc_endpointdialog.cpp"
