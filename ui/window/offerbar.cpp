#include "offerbar.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>

namespace PipeScope {

OfferBar::OfferBar(const char *name, const QString &text, QPushButton *accept, QPushButton *decline, QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QLatin1String(name));
    setAutoFillBackground(true);
    setBackgroundRole(QPalette::AlternateBase);
    auto *label = new QLabel(text, this);
    label->setWordWrap(true);
    auto *layout = new QHBoxLayout(this);
    layout->addWidget(label, 1);
    for (QPushButton *button : {accept, decline}) {
        button->setParent(this);
        layout->addWidget(button);
        connect(button, &QPushButton::clicked, this, &QWidget::hide);
    }
}

} // namespace PipeScope

#include "moc_offerbar.cpp"
