"""Demo notices for every demo community: an emergency water cut, a C-09 disclosure, a meeting notice, a
building-targeted notice and a public one; plus each community's approval workflow. Safe to run again."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from governance.models import NoticePage
from governance.services.notices import notice_workflow_ensure
from home.models import CommunityPage

Type = NoticePage.Type


def _specs(community, first_building):
    committee = f"{community.title}业主委员会"
    now = timezone.now()
    specs = [
        {
            "slug": "tingshui",
            "title": "停水通知：二次供水管道更换",
            "notice_type": Type.EMERGENCY,
            "is_public": True,
            "issuer": committee,
            "expire_at": now + timedelta(days=3),
            "body": "<p>因老旧小区改造更换二次供水管道，后天 8:00 至 18:00 全小区停水。请提前储水，"
            "行动不便的老人可联系楼长代为送水。</p>",
        },
        {
            "slug": "weixiu-zijin-gongshi",
            "title": "公示：上半年专项维修资金使用情况",
            "notice_type": Type.DISCLOSURE,
            "disclosure_category": NoticePage.DisclosureCategory.MAINTENANCE_FUND,
            "issuer": committee,
            "body": "<p>依照规定（C-09），现将上半年专项维修资金的筹集与使用情况公示如下：屋面防水维修一项，"
            "支出 38,600 元，经业主大会表决通过。公示期 15 天，如有异议请向业委会书面反映。</p>",
        },
        {
            "slug": "yeweihui-huiyi",
            "title": "关于召开业委会例会的通知",
            "notice_type": Type.MEETING,
            "issuer": committee,
            "body": "<p>业委会定于下周四晚 7:00 在社区活动室召开例会，议题：加装电梯意愿征询、"
            "停车管理办法修订。欢迎业主列席旁听。</p>",
        },
        {
            "slug": "anquan-tixing",
            "title": "冬季用电用气安全提醒",
            "notice_type": Type.GENERAL,
            "is_public": True,
            "issuer": f"{community.title}社区居委会",
            "body": "<p>冬季取暖期间请勿私拉电线给电动车充电，使用燃气后及时关闭阀门。</p>",
        },
    ]
    if first_building is not None:
        specs.append(
            {
                "slug": "loudong-tingdian",
                "title": f"{first_building.name}楼道照明线路检修",
                "notice_type": Type.GENERAL,
                "issuer": committee,
                "buildings": [first_building],
                "body": f"<p>本周六上午 {first_building.name}楼道照明线路检修，"
                "期间楼道灯暂停使用，请注意上下楼安全。</p>",
            }
        )
    return specs


def _notice_ensure(community, spec) -> bool:
    if NoticePage.objects.child_of(community).filter(slug=spec["slug"]).exists():
        return False
    spec = dict(spec)
    buildings = spec.pop("buildings", [])
    notice = NoticePage(**spec, audience=NoticePage.Audience.BUILDINGS if buildings else NoticePage.Audience.COMMUNITY)
    community.add_child(instance=notice)
    if buildings:
        notice.buildings.set(buildings)
    notice.save_revision().publish()
    return True


@transaction.atomic
def seed_notices(stdout) -> None:
    created = 0
    for community in CommunityPage.objects.order_by("path"):
        notice_workflow_ensure(community)
        first_building = community.buildings.order_by("sort_order", "name").first()
        created += sum(_notice_ensure(community, spec) for spec in _specs(community, first_building))
    stdout.write(f"通知公告：新建 {created} 条，各小区审核流程已就绪。")
