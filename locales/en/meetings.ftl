help-lich-hop = Upcoming meetings
meetings-none = { $village } has no upcoming meetings.
