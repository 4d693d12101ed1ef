#include "filterbar.h"
#include "elidedlabel.h"
#include "findmatches.h"
#include "trafficfilter.h"
#include "trafficmodel.h"

#include <QAction>
#include <QComboBox>
#include <QElapsedTimer>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QTableView>
#include <QTimer>
#include <QToolButton>

#include <algorithm>

namespace PipeScope {

FilterBar::FilterBar(TrafficModel *model, QTableView *table, QWidget *pane)
    : QWidget(pane), m_model(model), m_table(table), m_direction(new QComboBox(this)),
      m_findMode(new QComboBox(this)), m_mode(new QComboBox(this)), m_text(new QLineEdit(this)),
      m_matchCase(new QToolButton(this)), m_status(new ElidedLabel(40, this)),
      m_matches(new FindMatches(model, this))
{
    m_direction->addItem(tr("All"), int(TrafficFilter::ShowAll));
    m_direction->addItem(tr("In"), int(TrafficFilter::ShowIn));
    m_direction->addItem(tr("Out"), int(TrafficFilter::ShowOut));
    m_direction->addItem(tr("Messages"), int(TrafficFilter::ShowIn | TrafficFilter::ShowOut));
    m_direction->addItem(tr("Connection events"), int(TrafficFilter::ShowEvents));
    m_direction->setToolTip(tr("Which events to show"));
    m_mode->addItem(tr("Text"), int(TrafficFilter::Mode::Text));
    m_mode->addItem(tr("Hex"), int(TrafficFilter::Mode::Hex));
    m_mode->addItem(tr("Regex"), int(TrafficFilter::Mode::Regex));
    m_mode->setToolTip(tr("Text matches its UTF-8 or UTF-16LE bytes; hex matches bytes; "
                          "a regex matches the message read as UTF-8"));
    m_text->setObjectName(QStringLiteral("filterText"));
    m_text->setClearButtonEnabled(true);
    m_status->setObjectName(QStringLiteral("filterStatus"));
    m_matchCase->setObjectName(QStringLiteral("matchCase"));
    m_matchCase->setText(QStringLiteral("Aa"));
    m_matchCase->setCheckable(true);
    m_matchCase->setToolTip(tr("Match case (text and regex)"));
    // Filter hides what does not match; Find keeps every row and jumps
    // between the matches (F3, Shift+F3).
    m_findMode->setObjectName(QStringLiteral("findMode"));
    m_findMode->addItem(tr("Filter"), false);
    m_findMode->addItem(tr("Find"), true);
    m_findMode->setToolTip(
        tr("Filter: show only the matching rows. Find: keep every row and jump between "
           "the matches with Enter, F3 and Shift+F3."));
    // Narrow windows: the choices shrink (their lists still show whole)
    // and the pattern keeps room to be typed in.
    for (QComboBox *box : {m_direction, m_findMode, m_mode}) {
        box->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        box->setMinimumContentsLength(5);
    }
    m_text->setMinimumWidth(
        m_text->fontMetrics().horizontalAdvance(QStringLiteral("Filter messages")));
    auto *bar = new QHBoxLayout(this);
    bar->setContentsMargins(0, 0, 0, 0);
    bar->addWidget(m_direction);
    bar->addWidget(m_findMode);
    bar->addWidget(m_mode);
    bar->addWidget(m_text, 1);
    bar->addWidget(m_matchCase);
    bar->addWidget(m_status);
    // Filter as the user types, once typing pauses.
    auto *filterDelay = new QTimer(this);
    filterDelay->setSingleShot(true);
    filterDelay->setInterval(150);
    connect(m_text, &QLineEdit::textChanged, filterDelay, qOverload<>(&QTimer::start));
    connect(filterDelay, &QTimer::timeout, this, &FilterBar::apply);
    connect(m_text, &QLineEdit::returnPressed, this, [this] {
        if (isFinding())
            findNext(true);
        else
            apply();
    });
    for (QComboBox *box : {m_mode, m_direction, m_findMode})
        connect(box, &QComboBox::currentIndexChanged, this, &FilterBar::apply);
    connect(m_matchCase, &QToolButton::toggled, this, &FilterBar::apply);
    addShortcuts(pane);
    updatePlaceholder();
}

void FilterBar::addShortcuts(QWidget *pane)
{
    auto *find = new QAction(pane);
    find->setShortcut(QKeySequence::Find);
    connect(find, &QAction::triggered, this, [this] {
        m_text->setFocus();
        m_text->selectAll();
    });
    pane->addAction(find);
    for (const bool forward : {true, false}) {
        auto *step = new QAction(forward ? tr("Find Next") : tr("Find Previous"), pane);
        step->setObjectName(forward ? QStringLiteral("findNext") : QStringLiteral("findPrevious"));
        step->setShortcuts(forward ? QKeySequence::FindNext : QKeySequence::FindPrevious);
        step->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        connect(step, &QAction::triggered, this, [this, forward] { findNext(forward); });
        pane->addAction(step);
    }
}

void FilterBar::apply()
{
    updatePlaceholder();
    TrafficFilter filter;
    // Finding: the direction still filters; the pattern only finds.
    const int directions = m_direction->currentData().toInt();
    if (isFinding()) {
        const TrafficFilter &now = m_model->filter();
        if (now.hasPattern() || now.directions() != directions) {
            filter.set(TrafficFilter::Mode::Text, QString(), directions);
            m_model->setFilter(filter);
        }
        if (updateMatches())
            m_status->setStatus(tr("%1 — Enter or F3: next").arg(matchesText()));
        else if (m_text->text().isEmpty())
            m_status->setStatus(QString());
        return;
    }
    if (!readPattern(filter, directions))
        return;
    QElapsedTimer timer;
    timer.start();
    m_model->setFilter(filter);
    QString status = filter.isEmpty() ? QString() : tr("%1 shown").arg(m_model->rowCount());
    if (m_model->unsearched() > 0)
        status +=
            tr("; %1 not searched (not in memory: save the session and open it to search them)")
                .arg(m_model->unsearched());
    m_status->setStatus(status, status.isEmpty()
                                    ? QString()
                                    : tr("%1\nFiltered in %2 ms").arg(status).arg(timer.elapsed()));
}

bool FilterBar::isFinding() const
{
    return m_findMode->currentData().toBool();
}

void FilterBar::updatePlaceholder()
{
    m_text->setPlaceholderText(isFinding() ? tr("Find in messages and events (Ctrl+F, F3)")
                                           : tr("Filter messages and events (Ctrl+F)"));
}

bool FilterBar::readPattern(TrafficFilter &filter, int directions)
{
    QString error;
    const auto mode = TrafficFilter::Mode(m_mode->currentData().toInt());
    const auto sensitivity = m_matchCase->isChecked() ? Qt::CaseSensitive : Qt::CaseInsensitive;
    if (filter.set(mode, m_text->text(), directions, &error, sensitivity))
        return true;
    // Said next to the field; the filter in force stays as it was.
    m_status->setStatus(error, tr("%1\nThe previous filter is still applied").arg(error));
    return false;
}

void FilterBar::findNext(bool forward)
{
    if (!isFinding()) {
        // Filtering: every row shown matches; step through them.
        const int rows = m_model->rowCount();
        if (rows > 0) {
            const int from = m_table->currentIndex().isValid() ? m_table->currentIndex().row()
                                                               : (forward ? -1 : rows);
            m_table->selectRow(std::clamp(from + (forward ? 1 : -1), 0, rows - 1));
        }
        return;
    }
    if (!updateMatches())
        return;
    const QModelIndex current = m_table->currentIndex();
    const FindMatches::Step step = m_matches->step(current.isValid() ? current.row() : -1, forward);
    if (step.row < 0) {
        m_status->setStatus(matchesText());
        return;
    }
    m_status->setStatus(matchesText(step.number));
    m_table->selectRow(step.row);
    m_table->scrollTo(m_model->index(step.row, 0));
}

bool FilterBar::updateMatches()
{
    TrafficFilter pattern;
    if (!readPattern(pattern, TrafficFilter::ShowAll) || !pattern.hasPattern())
        return false;
    m_matches->setPattern(pattern, QStringLiteral("%1 %2 %3")
                                       .arg(m_mode->currentData().toInt())
                                       .arg(m_matchCase->isChecked())
                                       .arg(m_text->text()));
    return true;
}

QString FilterBar::matchesText(qsizetype number)
{
    const qsizetype total = m_matches->total();
    QString text = total == 0   ? tr("No match")
                   : number > 0 ? tr("%1 of %2").arg(number).arg(total)
                   : total == 1 ? tr("1 match")
                                : tr("%1 matches").arg(total);
    if (const qsizetype unsearched = m_matches->unsearched(); unsearched > 0)
        text += tr("; %1 not searched (on disk only)").arg(unsearched);
    return text;
}

} // namespace PipeScope

#include "moc_filterbar.cpp"
