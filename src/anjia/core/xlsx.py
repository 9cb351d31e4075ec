"""The console's Excel exports share one look: a bold tinted header row, money as yuan with two
decimals, frozen header, readable column widths."""
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill


def yuan(fen: int) -> Decimal:
    """Integer fen as an exact yuan amount for a cell."""
    return (Decimal(fen) / 100).quantize(Decimal("0.01"))


def sheet(wb: Workbook, title: str, head: list[str], rows: list[list], money: tuple[int, ...] = (),
          width: int = 14) -> None:
    """A new sheet; `money`: 1-based columns shown as #,##0.00."""
    ws = wb.create_sheet(title)
    ws.append(head)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="EEF2F7")
        cell.alignment = Alignment(horizontal="center")
    for r in rows:
        ws.append(r)
    for col in money:
        for (cell,) in ws.iter_rows(min_row=2, min_col=col, max_col=col):
            cell.number_format = "#,##0.00"
    for i in range(1, len(head) + 1):
        ws.column_dimensions[ws.cell(row=1, column=i).column_letter].width = width if i > 1 else 20
    ws.freeze_panes = "A2"
