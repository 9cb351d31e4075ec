"""Mainland resident ID numbers (GB 11643-1999): 6-digit area, birth date YYYYMMDD, 3-digit
sequence (odd = male), ISO 7064 MOD 11-2 check character. Pure; the service seals the number."""
from dataclasses import dataclass
from datetime import date

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK = "10X98765432"


@dataclass(frozen=True)
class IdNumber:
    number: str  # normalised: 18 characters, an upper-case X if any
    birth_date: date
    gender: str  # female | male

    @property
    def masked(self) -> str:
        return mask(self.number)


def check_character(first17: str) -> str:
    return CHECK[sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True)) % 11]


def parse(raw: str, today: date) -> IdNumber | None:
    """The ID number read, or None when it is not a valid one (length, digits, birth date, check)."""
    number = raw.strip().upper()
    if len(number) != 18 or not number[:17].isascii() or not number[:17].isdigit() or number[17] not in "0123456789X":
        return None
    if check_character(number[:17]) != number[17]:
        return None
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None
    if born.year < 1900 or born > today:
        return None
    return IdNumber(number=number, birth_date=born, gender="male" if int(number[16]) % 2 else "female")


def mask(number: str) -> str:
    """Shown everywhere but to the sealed store: the first 3 and the last 4 characters."""
    return number[:3] + "*" * (len(number) - 7) + number[-4:]
