"""The month's ranking as an Excel workbook (the console's 导出)."""
from datetime import date
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font
from sqlalchemy.ext.asyncio import AsyncSession

from anjia.performance import scoring, views

HEAD = ["排名", "服务人员", "区域", "等级", "总分", "绩效", "评价均分", "评价数", "评价得分", "准时得分", "迟到次数",
        "完成得分", "接单数", "完成数", "接单率得分", "派单数", "接受数", "超时得分", "超时次数", "投诉得分",
        "成立投诉", "奖金（元）"]


async def workbook(session: AsyncSession, month: date, **filters) -> bytes:
    head = await views.month_out(session, month)
    rows, _ = await views.ranking_rows(session, month, page=0, **filters)
    wb = Workbook()
    ws = wb.active
    ws.title = f"{month.year}-{month.month:02d}"
    status = {"draft": "草稿", "published": "已发布", "none": "未评估"}[head.status]
    ws.append([f"安家服务人员绩效 {month.year}年{month.month}月（{status}）"])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append(["权重：" + "，".join(f"{k} {v}" for k, v in scoring.WEIGHTS.items())])
    ws.append(HEAD)
    for c in ws[3]:
        c.font = Font(bold=True)
    for r in rows:
        ws.append([r.rank, r.worker_name, r.region or "", r.level, r.score, scoring.GRADE_LABELS[r.grade][0],
                   r.rating if r.rating is not None else "—", r.reviews, r.rating_points, r.punctuality, r.late,
                   r.completion, r.taken, r.completed, r.acceptance, r.offered, r.accepted, r.overruns,
                   r.overrun_count, r.complaints, r.complaint_count, round(r.bonus / 100, 2) if r.bonus else 0])
    for i, _ in enumerate(HEAD, start=1):
        ws.column_dimensions[ws.cell(row=3, column=i).column_letter].width = 12 if i > 2 else 14
    ws.freeze_panes = "A4"
    buf = BytesIO()
    wb.save(buf)
    return buf.getvalue()
